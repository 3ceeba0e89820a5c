"""Aktobe Region akimat's own site: a table of memoranda with file links, pages at /page/N/."""
from sources.crawl import Detail, Listing
from sources.memoranda.site import MemorandaSite


class AktobeMemoranda(MemorandaSite):
    listing = Listing(item="table.memoranda tr", link="td.title a", next="div.pager a.next", attachments="td.file a", date="td.date")
    detail = Detail(title="#content h2", body="#content div.text")
    native_id = r"/memorandumy/([^/]+)\.html$"
