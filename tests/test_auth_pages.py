"""The real app (AppTest) with sign-in configured: signed-out visitors get the sign-in page and nothing of
the data; viewers every page but no data management; data stewards the import form and the audit trail;
a callback replayed under a viewer's identity is refused by the function behind it."""

from __future__ import annotations

import pytest

from clusterpolicy import i18n
from clusterpolicy.data import audit, store
from clusterpolicy.data.provenance import md_escape
from clusterpolicy.web import data as kept
from tests.conftest import assert_page_ok, open_link
from tests.test_import import BF, ROW, csv_with

PAGES = ("overview", "scenarios", "earmarked", "kpis", "cluster", "data")
AUTH = {
    "redirect_uri": "http://127.0.0.1:8501/oauth2callback",
    "cookie_secret": "a-test-cookie-secret-of-32-bytes!",
    "client_id": "dashboard",
    "client_secret": "test-secret",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}
ACCESS = {
    "viewer_groups": ["cabinet"],
    "steward_groups": ["data-stewards"],
    "contact": "het datateam (data@kabinet.example)",
}
VIEWER = {"is_logged_in": True, "sub": "sub-v", "email": "vera@kabinet.example", "name": "Vera", "groups": ["cabinet"], "iat": 1}
STEWARD = {
    "is_logged_in": True,
    "sub": "sub-s",
    "email": "stan@kabinet.example",
    "name": "Stan",
    "groups": ["data-stewards"],
    "iat": 2,
}
NO_ROLE = {"is_logged_in": True, "sub": "sub-n", "email": "nina@elders.example", "name": "Nina", "groups": [], "iat": 3}


def open_as(page: str, user: dict, access: dict | None = None):
    at = open_link(page)
    at.secrets["auth"] = AUTH
    at.secrets["access"] = ACCESS if access is None else access
    at.user = user
    return at


def nodes(at) -> list:
    """Every element of the page, main area and sidebar."""
    out = []

    def walk(node):
        out.append(node)
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at.main)
    walk(at.sidebar)
    return out


def texts(at) -> str:
    found = []
    for node in nodes(at):
        for attr in ("value", "label", "body"):
            v = getattr(node, attr, None)
            if isinstance(v, str):
                found.append(v)
    return "\n".join(found)


def data_words(at) -> list[str]:
    """Words that only the data can put on a page: the data version and every cluster's name."""
    return [kept.data_version(), *kept.query("clusters")["name"].tolist()]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("user", [{"is_logged_in": False}, {"email": "test@example.com"}], ids=["signed-out", "apptest-default"])
def test_a_signed_out_visitor_gets_only_the_sign_in_page(data_dir, page, user):
    at = open_as(page, user).run()
    assert_page_ok(at)
    kinds = {n.type for n in nodes(at)}
    assert kinds <= {"main", "sidebar", "title", "markdown", "button", "selectbox", "event"}, kinds
    assert [b.label for b in at.button] == ["Aanmelden"]
    shown = texts(at)
    words = data_words(at)
    assert not [w for w in words if w in shown], shown
    # in the visitor's language, and the language can be changed there
    at.selectbox(key="lang").select("en").run()
    assert [b.label for b in at.button] == ["Sign in"] and at.title[0].value == i18n.t("auth.title", "en")


@pytest.mark.parametrize("page", PAGES)
def test_a_viewer_sees_every_page_but_no_data_management(data_dir, page):
    at = open_as(page, VIEWER).run()
    assert_page_ok(at)
    sidebar = " ".join(c.value for c in at.sidebar.caption)
    assert "Aangemeld als **Vera** · lezer" in sidebar and kept.data_version() in sidebar
    assert [b.label for b in at.sidebar.button] == ["Afmelden"]
    if page == "data":
        assert [t.label for t in at.tabs] == ["Bronnen", "Tabellen"]
        assert not at.get("file_uploader") and not any(b.key == "imp_restore" for b in at.button)
        assert "voorbehouden aan databeheerders" in " ".join(c.value for c in at.caption)
    else:
        assert at.get("plotly_chart")


def test_a_tab_a_viewer_does_not_have_cannot_be_opened(data_dir):
    at = open_as("data", VIEWER).run()
    at.session_state["data_tab"] = "Importeren en versies"  # what a replayed tab change would ask for
    at.run()
    assert_page_ok(at)
    assert not at.get("file_uploader") and [t.label for t in at.tabs] == ["Bronnen", "Tabellen"]


@pytest.mark.parametrize("page", PAGES)
def test_a_steward_sees_every_page(data_dir, page):
    at = open_as(page, STEWARD).run()
    assert_page_ok(at)
    assert "Aangemeld als **Stan** · databeheerder" in " ".join(c.value for c in at.sidebar.caption)
    if page == "data":
        assert [t.label for t in at.tabs] == ["Bronnen", "Tabellen", "Importeren en versies", "Audittrail"]


def test_someone_without_a_role_is_told_whom_to_ask(data_dir):
    at = open_as("scenarios", NO_ROLE).run()
    assert_page_ok(at)
    # names from the provider and the configuration are shown literally (escaped Markdown)
    assert md_escape("nina@elders.example") in at.warning[0].value
    assert md_escape("het datateam (data@kabinet.example)") in texts(at)
    assert [b.label for b in at.button] == ["Afmelden"]
    assert not [w for w in data_words(at) if w in texts(at)]
    trail = audit.events()
    assert list(zip(trail.action, trail.outcome, trail.email, strict=True)) == [("sign_in", "denied", "nina@elders.example")]
    # without a contact in the configuration, the page still says whom to ask
    at = open_as("scenarios", NO_ROLE, access={"viewer_groups": ["cabinet"]}).run()
    assert i18n.t("auth.ask_admin", "nl") in texts(at)


def test_a_bad_access_section_lets_no_one_in(data_dir):
    at = open_as("overview", VIEWER, access={"viewer_groups": "cabinet", "unknown": 1}).run()
    assert_page_ok(at)
    assert at.warning and not at.get("plotly_chart")


def _steward_with_a_good_file(page="data"):
    at = open_as(page, STEWARD).run()
    at.session_state["data_tab"] = "Importeren en versies"
    at.run()
    at.segmented_control(key="imp_what").set_value("table").run()
    at.selectbox(key="imp_table").select(BF).run()
    at.file_uploader(key="imp_file").upload(
        "good.csv", csv_with(BF, ROW, b"vil,2024,400000.00,864000.00,illus_basic_funding"), "text/csv"
    ).run()
    assert "1 gewijzigd" in at.info[0].value
    return at


def test_a_steward_imports_and_the_trail_names_them(data_dir):
    at = _steward_with_a_good_file()
    before = store.served_path()
    at.button(key="imp_go").click().run()
    assert_page_ok(at)
    assert store.served_path() != before
    at.session_state["data_tab"] = "Audittrail"
    at.run()
    trail = next(d.value for d in at.dataframe if "SHA-256 van het bestand" in d.value.columns)
    first = trail.iloc[0]
    assert (first["Wat"], first["Uitkomst"], first["E-mail"], first["Bestand"]) == (
        "import",
        "gedaan",
        "stan@kabinet.example",
        "good.csv",
    )
    assert (first["Gewijzigd"], first["Rol"], first["Via"]) == (1, "databeheerder", "browser")
    assert list(trail["Wat"]).count("aangemeld") == 1  # the steward's sign-in, once over all those runs
    assert any("Audittrail downloaden" in b.label for b in at.button if b.key == "audit_csv_make")


def test_a_replayed_import_click_under_a_viewer_is_refused(data_dir):
    """The steward's import button is on the page; the session then acts as a viewer and clicks it.

    The callback runs (it was registered in the steward's run), and the import function itself refuses.
    """
    at = _steward_with_a_good_file()
    before = store.served_path()
    at.user = VIEWER
    at.button(key="imp_go").click().run()
    assert store.served_path() == before
    assert any("Geweigerd: importeren" in e.value for e in at.error)
    trail = audit.events()
    entry = trail[trail.action == "import"].iloc[0]
    assert (entry.outcome, entry.email) == ("denied", "vera@kabinet.example")
    assert (trail.outcome == "done").sum() == 2  # the two sign-ins; no import went through
    # and the form is gone for the viewer
    assert not at.get("file_uploader")


def test_a_replayed_restore_click_under_a_viewer_is_refused(data_dir):
    at = _steward_with_a_good_file()
    at.button(key="imp_go").click().run()
    at.run()
    served = store.served_path()
    assert any(b.key == "imp_restore" for b in at.button)
    at.button(key="imp_restore").click().run()  # asks first; the confirmation does it
    at.user = VIEWER
    at.button(key="imp_restore_go").click().run()
    assert store.served_path() == served
    trail = audit.events()
    assert tuple(trail[trail.action == "restore"].iloc[0][["outcome", "email"]]) == ("denied", "vera@kabinet.example")
