"""Articles: the corpus, one article read with its signal sentences highlighted, and uploads."""

import streamlit as st

from paylens.article_view import escape_markdown, highlighted_markdown
from paylens.charts.signals import SIGNAL_LABELS
from paylens.ui.filters import sync_url, url_choice
from paylens.ui.frame import page_filters
from paylens.ui.store import run
from paylens.ui.upload import upload_box
from paylens.ui.widgets import download_csv, empty_state, sources

f = page_filters()
st.title("Articles")
st.caption("The news and opinion corpus behind the signals. Text is shown as written, escaped, never as HTML.")

corpus = run("articles_list", f.params())
corpus["date"] = corpus["date"].astype(str).str[:10].replace({"NaT": "undated", "None": "undated"})
if corpus.empty:
    empty_state("No articles in this date range.")
else:
    st.dataframe(corpus[["date", "title", "publisher", "lang", "hits", "signals", "url"]], hide_index=True,
                 width="stretch", column_config={
                     "date": "Date", "title": st.column_config.TextColumn("Title", width="large"),
                     "publisher": "Publisher", "lang": "Lang", "hits": st.column_config.NumberColumn("Hits"),
                     "signals": "Signals", "url": st.column_config.LinkColumn("Source", display_text="open")})
download_csv(corpus, "articles", f)

st.subheader("Read an article")
titles = dict(zip(corpus["article_id"], corpus["date"] + " · " + corpus["title"], strict=True))
article_id = url_choice("Article", "article", list(titles), None, format_func=lambda a: titles.get(a, a))
if article_id:
    detail = run("article_detail", {"article_id": article_id})
    hits = run("article_hits", {"article_id": article_id})
    row = detail.iloc[0]
    st.markdown("#### " + escape_markdown(row["title"]))
    st.caption(escape_markdown(f"{row['publisher'] or 'Unknown publisher'} · {str(row['date'])[:10]} · "
                               f"{row['lang']} · {len(hits)} hits"))
    if row["url"]:
        st.link_button("Open the source", row["url"])
    with st.container(border=True, height=520):
        st.markdown(highlighted_markdown(row["body"], hits, SIGNAL_LABELS))
    download_csv(hits, "article_hits", f, article_id, key="dl_hits")
    sources(detail, "article_source")

st.subheader("Add articles")
upload_box()
sync_url(f, {"article": article_id or ""})
