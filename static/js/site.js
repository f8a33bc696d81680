// Reader-site enhancements. Everything works without this file.
(function () {
  "use strict";
})();
