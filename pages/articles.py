"""Articles: the corpus, one article read with its signal sentences highlighted, and uploads."""

import streamlit as st

from paylens.article_view import escape_markdown, highlighted_markdown
from paylens.charts.signals import SIGNAL_LABELS
from paylens.charts.tables import (
    ARTICLES_PER_PAGE,
    articles_table,
    page_count,
    page_span,
    rows_caption,
    signal_names,
)
from paylens.ui.filters import sync_url, url_choice
from paylens.ui.frame import page_filters
from paylens.ui.intake import also_in, intake_section, url_box
from paylens.ui.search import search_box
from paylens.ui.store import ListedArticle, run
from paylens.ui.upload import upload_box
from paylens.ui.widgets import download_csv, download_query, empty_state, sources

f = page_filters(require_competitors=False)
st.title("Articles")
st.caption("The news and opinion corpus behind the signals. Text is shown as written, escaped, never as HTML.")
if not f.competitors:
    st.info("No competitor is chosen in the sidebar, so this lists every article in the corpus.",
            icon=":material/info:")

total = int(run("articles_count", f.params())["articles"].iloc[0])
pages = [str(n) for n in range(1, page_count(total, ARTICLES_PER_PAGE) + 1)]
page = "1"
if total:
    pick, note = st.columns([1, 4], vertical_alignment="center")
    page = url_choice("Page", "page", pages, "1", where=pick, format_func=lambda p: f"Page {p} of {len(pages)}",
                      label_visibility="collapsed", disabled=len(pages) == 1)
start, stop = page_span(int(page), total, ARTICLES_PER_PAGE)
# Only this page's rows leave the store; the downloads run the whole list when clicked.
corpus = run("articles_list", {**f.params(), "page_size": ARTICLES_PER_PAGE, "offset": start})
shown = articles_table(corpus)
if not total:
    empty_state("No articles in this date range.")
else:
    note.caption(f"{rows_caption(start, stop, total)}, newest first. Download CSV gives all of them.")
    readable = shown.assign(signals=shown["signals"].map(signal_names))
    st.dataframe(readable.drop(columns=["article_id", "label"]), hide_index=True, width="stretch", column_config={
        "date": "Date", "title": st.column_config.TextColumn("Title", width="large"),
        "publisher": "Publisher", "lang": "Lang", "hits": st.column_config.NumberColumn("Hits"),
        "signals": st.column_config.TextColumn("Signals", width="large"),
        "url": st.column_config.LinkColumn("Source", display_text="open")})
download_query("articles_list", f.params(), total, "articles", f,
               help=f"All {total:,} articles in these filters, not only this page")

st.subheader("Search")
search = search_box(f, "articles")

st.subheader("Read an article")
labels = dict(zip(shown["article_id"], shown["label"], strict=True))
# An article linked from elsewhere may sit on another page: the list is asked about that one id only.
listed = ListedArticle(f.params())
article_id = url_choice("Article", "article", list(labels), None, also_valid=listed,
                        format_func=lambda a: labels.get(a) or listed.label(a),
                        help="The articles on the table's page (and the one open, if it is on another).")
if article_id:
    detail = run("article_detail", {"article_id": article_id})
    hits = run("article_hits", {"article_id": article_id})
    row = detail.iloc[0]
    st.markdown("#### " + escape_markdown(row["title"]))
    st.caption(escape_markdown(f"{row['publisher'] or 'Unknown publisher'} · {str(row['date'])[:10]} · "
                               f"{row['lang']} · {len(hits)} hits"))
    if row["url"]:
        st.link_button("Open the source", row["url"])
    also_in(article_id)
    with st.container(border=True, height=520):
        st.markdown(highlighted_markdown(row["body"], hits, SIGNAL_LABELS))
    download_csv(hits, "article_hits", f, article_id, key="dl_hits")
    sources(detail, "article_source")

st.subheader("Add articles")
url_tab, file_tab, intake_tab = st.tabs(["From a URL", "Upload files", "Intake: feeds and runs"])
with url_tab:
    url_box()
with file_tab:
    upload_box()
with intake_tab:
    intake_section()
sync_url(f, {"page": page if page != "1" else "", "article": article_id or "", **search})
