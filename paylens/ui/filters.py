"""The sidebar filters shared by every page, mirrored in the URL both ways."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import date

import streamlit as st

from paylens.article_view import escape_markdown
from paylens.ui.store import run
from paylens.url_state import (
    DATE_MAX,
    DATE_MIN,
    DEFAULT_COMPETITORS,
    DEFAULT_FROM,
    DEFAULT_TO,
    VIEW_KEYS,
    parse_competitors,
    unknown_params,
    url_date,
    view_params,
)

INITIAL = "_url_initial"   # the query string the session was opened with
NOTICES = "_url_notices"


@dataclass(frozen=True)
class Filters:
    """Competitors and date range chosen in the sidebar."""

    competitors: list[str]
    date_from: date
    date_to: date
    show_events: bool = True
    event_categories: tuple[str, ...] = ()

    def params(self) -> dict[str, object]:
        """Query parameters shared by every page query."""
        return {"competitors": self.competitors, "from": self.date_from, "to": self.date_to}

    def url_params(self) -> dict[str, str]:
        """The shared filters as URL parameters."""
        out = {"competitors": ",".join(self.competitors), "from": self.date_from.isoformat(),
               "to": self.date_to.isoformat(), "events": "on" if self.show_events else "off"}
        if self.event_categories:
            out["categories"] = ",".join(self.event_categories)
        return out

    def event_params(self) -> dict[str, object]:
        """Parameters of the events query behind the chart markers."""
        return {**self.params(), "categories": list(self.event_categories)}

    def slug(self) -> str:
        """Filters as a file-name fragment."""
        return f"{'-'.join(self.competitors) or 'all'}_{self.date_from}_{self.date_to}"


def remember_url() -> None:
    """Keep the query string the session was opened with (page switches clear the live one)."""
    if INITIAL not in st.session_state:
        st.session_state[INITIAL] = {k: st.query_params.get(k) for k in st.query_params}
        st.session_state[NOTICES] = []
        unknown = unknown_params(st.session_state[INITIAL])
        if unknown:
            notice(f"Ignored unknown parameter(s) in the link: {', '.join(unknown)}. "
                   f"A link understands: {', '.join(VIEW_KEYS)}.")


def initial(name: str) -> str | None:
    """A parameter from the URL the session was opened with."""
    return st.session_state.get(INITIAL, {}).get(name)


def notice(text: str) -> None:
    """Queue a visible notice about a dropped URL value."""
    st.session_state.setdefault(NOTICES, []).append(text)


def show_notices() -> None:
    """Show queued URL notices once, escaped: they quote the link, and alert boxes render Markdown and LaTeX."""
    for text in st.session_state.get(NOTICES, []):
        st.warning(escape_markdown(text), icon="⚠️")
    st.session_state[NOTICES] = []


def platform_names() -> dict[str, str]:
    """platform_id -> English name, for labels everywhere."""
    df = run("platforms")
    return dict(zip(df["platform_id"], df["short_name"], strict=True))


def sidebar_filters() -> Filters:
    """Render Competitors and dates in the sidebar; restore from and write to the URL."""
    remember_url()
    names = platform_names()
    if "f_competitors" not in st.session_state:
        comps, bad = parse_competitors(initial("competitors"), names)
        if bad:
            notice(f"Ignored unknown competitor id(s) in the link: {', '.join(bad)}")
        if comps == [] and bad:
            notice("None of the link's competitors is known; showing the default set.")
        # An explicitly empty list stays empty (every page then asks for a pick); none known -> the defaults.
        st.session_state["f_competitors"] = list(DEFAULT_COMPETITORS) if comps is None or (bad and not comps) else comps
        for key, param, default in (("f_from", "from", DEFAULT_FROM), ("f_to", "to", DEFAULT_TO)):
            value, problem = url_date(param, initial(param), default)
            if problem:
                notice(problem)
            st.session_state[key] = value
        if st.session_state["f_from"] > st.session_state["f_to"]:
            notice("The link's start date was after its end date; the dates were swapped.")
            st.session_state["f_from"], st.session_state["f_to"] = st.session_state["f_to"], st.session_state["f_from"]
    with st.sidebar:
        st.multiselect("Competitors", options=list(names), key="f_competitors",
                       format_func=lambda pid: names.get(pid, pid),
                       help="Platforms to compare; shared by every page and kept in the URL.")
        st.date_input("From", key="f_from", min_value=DATE_MIN, max_value=DATE_MAX, format="YYYY-MM-DD")
        st.date_input("To", key="f_to", min_value=DATE_MIN, max_value=DATE_MAX, format="YYYY-MM-DD")
        show_events, categories = _event_filters()
    lo, hi = sorted((st.session_state["f_from"], st.session_state["f_to"]))
    return Filters(list(st.session_state["f_competitors"]), lo, hi, show_events, tuple(categories))


def _event_filters() -> tuple[bool, list[str]]:
    """Event-marker toggle and category filter (inside the sidebar), restored from the URL."""
    cats = sorted(run("events", {})["category"].unique())
    if "f_events" not in st.session_state:
        raw = initial("events")
        if raw not in (None, "on", "off"):
            notice(f"Ignored events={raw!r} in the link (use on or off).")
        st.session_state["f_events"] = raw != "off"
        wanted, bad = parse_competitors(initial("categories"), cats)
        if bad:
            notice(f"Ignored unknown event categories in the link: {', '.join(bad)}")
        st.session_state["f_categories"] = wanted or []
    show = st.toggle("Event markers on charts", key="f_events")
    chosen = st.multiselect("Event categories", cats, key="f_categories", disabled=not show,
                            placeholder="All categories", format_func=lambda c: c.replace("_", " "))
    return show, chosen


def remembered_view() -> dict[str, str]:
    """Every page choice made so far in this session (pages remember theirs under v_<param>)."""
    return {k: str(st.session_state[f"v_{k}"]) for k in VIEW_KEYS if st.session_state.get(f"v_{k}")}


def sync_url(f: Filters, page_params: dict[str, str] | None = None) -> None:
    """Make the address bar exactly the shared filters plus this page's own, and offer the view's links."""
    state = f.url_params()
    state.update({k: v for k, v in (page_params or {}).items() if v})
    if dict(st.query_params) != state:
        st.query_params.from_dict(state)
    share_links(state, {**remembered_view(), **state})


def page_url(params: dict[str, str], path: str | None = None) -> str:
    """This page's full address (or another page's, by path) with these parameters."""
    from urllib.parse import urlencode, urlsplit

    here = urlsplit(st.context.url or "http://localhost:8501/")
    base = f"{here.scheme}://{here.netloc}"
    path = here.path if path is None else path
    query = urlencode(view_params(params), safe=",")
    return f"{base}{path}{'?' + query if query else ''}"


def share_links(page_state: dict[str, str], whole_view: dict[str, str]) -> None:
    """Sidebar: "Copy link" (this page exactly as it is) and "Snapshot this view" (every choice, in one zip)."""
    with st.sidebar:
        st.divider()
        with st.popover("Copy link", icon=":material/link:", width="stretch"):
            st.caption("This page with every filter and choice; opening it restores them. "
                       "Copy it with the button at the right of the box.")
            st.code(page_url(page_state), language=None, wrap_lines=True)
        st.page_link("pages/snapshots.py", label="Snapshot this view", icon=":material/folder_zip:",
                     query_params=view_params(whole_view),
                     help="Open Snapshots with this view: the CSV behind every chart in one zip.")


def url_choice(label: str, param: str, options: Sequence[str], default: str | None,
               format_func: Callable[[str], str] = str, where=None, also_valid: Collection[str] = (),
               scope: str = "", **kwargs) -> str | None:
    """A selectbox whose value starts from the URL (if valid) and is remembered across pages.

    `also_valid`: values accepted from the URL or from memory besides `options` (say every article while
    `options` lists one page of them); such a value, once chosen, is offered first so it stays selected.
    `scope` gives the widget a key of its own when another page draws the same choice under another label
    (Streamlit would otherwise drop the remembered value as belonging to the other widget).
    """
    key, wkey = f"v_{param}", f"w_{param}" + (f"_{scope}" if scope else "")
    options = list(options)
    if key not in st.session_state:
        wanted = initial(param)
        if wanted and wanted not in options and wanted not in also_valid:
            notice(unknown_value_notice(label, param, wanted))
            wanted = None
        st.session_state[key] = wanted or default
    current = st.session_state[key]
    if current and current not in options and current in also_valid:
        options.insert(0, current)
    if not options:
        return None
    if current not in options:
        current = default if default in options else options[0]
    # Widget state is dropped when its page is left; restore it from the remembered value.
    if st.session_state.get(wkey) not in options:
        st.session_state[wkey] = current
    chosen = (where or st).selectbox(label, options, format_func=format_func, key=wkey, **kwargs)
    st.session_state[key] = chosen
    return chosen


def url_multichoice(label: str, param: str, options: Sequence[str], format_func: Callable[[str], str] = str,
                    scope: str = "", default: Sequence[str] = (), **kwargs) -> list[str]:
    """A multiselect whose values start from the URL (comma list; unknown ones dropped with a notice)."""
    key, wkey = f"v_{param}", f"w_{param}" + (f"_{scope}" if scope else "")
    options = list(options)
    if key not in st.session_state:
        wanted, bad = parse_competitors(initial(param), options)
        for value in bad:
            notice(unknown_value_notice(label, param, value))
        st.session_state[key] = ",".join(wanted if wanted is not None else default)
    remembered = [v for v in str(st.session_state[key]).split(",") if v in options]
    if st.session_state.get(wkey) is None or any(v not in options for v in st.session_state[wkey]):
        st.session_state[wkey] = remembered
    chosen = st.multiselect(label, options, key=wkey, format_func=format_func, **kwargs)
    st.session_state[key] = ",".join(chosen)
    return list(chosen)


def pair_choice(names: dict[str, str], competitors: list[str], labels: tuple[str, str] = ("Platform", "Rival"),
                scope: str = "") -> tuple[str, str]:
    """Compare's platform and rival, side by side, from the URL; by default the first two chosen competitors.

    A link naming the same platform twice says so (the id is known: the problem is the pair) and takes the
    next platform as the rival.
    """
    from paylens.url_state import compare_pair

    default_platform, default_rival = compare_pair(competitors)
    left, right = st.columns(2)
    platform = url_choice(labels[0], "platform", list(names), default_platform, format_func=names.get, where=left,
                          scope=scope)
    if "v_rival" not in st.session_state and initial("rival") == platform:
        fallback = compare_pair([platform])[1]
        notice(f"The link compares {names[platform]} with itself; showing {names[fallback]} as the rival instead.")
        st.session_state["v_rival"] = fallback
    rival = url_choice(labels[1], "rival", [p for p in names if p != platform],
                       compare_pair([platform, default_rival])[1], format_func=names.get, where=right, scope=scope)
    return platform, rival


def unknown_value_notice(label: str, param: str, wanted: str) -> str:
    """Why a link's value was dropped, in the analyst's words."""
    return f"Ignored {param}={wanted!r} in the link: it is not one of the choices for {label} here."


def set_choice(param: str, value: str) -> None:
    """Set a page choice programmatically (e.g. from a heatmap click) before its widget is drawn."""
    st.session_state[f"v_{param}"] = value
    st.session_state[f"w_{param}"] = value
