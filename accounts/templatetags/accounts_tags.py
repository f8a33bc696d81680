from django import template

from ..session import account_state

register = template.Library()


@register.simple_tag(takes_context=True)
def account_nav_state(context):
    """The signed-in reader's masthead state, for private pages rendered on the server.

    Same data as the "account" part of /session.json, which fills the masthead
    of public pages in the browser.
    """
    return account_state(context["request"])


@register.simple_tag
def account_links():
    """Links other apps add to the account menu (accounts.pages.account_link)."""
    from ..pages import account_links as links

    return links()


@register.simple_tag(takes_context=True)
def render_reader_section(context, section, profile):
    """Render a section another app added to the reader page, with its own context."""
    template = context.template.engine.get_template(section.template)
    return template.render(context.new({**section.context, "profile": profile}))


@register.filter
def without_placeholder(bound_field):
    """The field with its placeholder dropped: our forms show a real label instead,
    and placeholder text disappears as soon as one types (allauth sets some)."""
    bound_field.field.widget.attrs.pop("placeholder", None)
    return bound_field
