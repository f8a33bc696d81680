from io import StringIO

import pytest
from django.core.management import call_command


@pytest.fixture
def run_import():
    """Run ``import_wordpress`` like an operator would; returns its printed summary."""

    def run(path, *args):
        out = StringIO()
        call_command("import_wordpress", str(path), "--no-progress", *args, stdout=out)
        return out.getvalue()

    return run
