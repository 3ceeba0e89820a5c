"""Document text and entity extraction for Ashyq.

Reads memoranda, news pages and project pages (PDF, DOCX, HTML, plain text) and
pulls out what the open data needs: money amounts, dates and periods, regions
(KATO/SOATE codes) and organisations (with BINs), in Kazakh, Russian and English.
Standard library plus pypdf, python-docx, beautifulsoup4/lxml; no pipeline imports.

    >>> from sources.extract import extract_entities
    >>> extract_entities("ТОО «Демо» выделит 2,5 млрд тенге")["amounts"][0]["value"]
    2500000000
"""

from .amounts import find_amounts
from .bins import BIN_RE, bin_is_valid
from .dates import find_points
from .entities import extract_entities, extract_file, find_dates_and_periods
from .errors import UnreadableDocument
from .language import detect_language
from .organisations import find_organizations
from .regions import REGIONS_CSV, find_regions, load_regions
from .text import read_document

__all__ = [
    "BIN_RE",
    "REGIONS_CSV",
    "UnreadableDocument",
    "bin_is_valid",
    "detect_language",
    "extract_entities",
    "extract_file",
    "find_amounts",
    "find_dates_and_periods",
    "find_organizations",
    "find_points",
    "find_regions",
    "load_regions",
    "read_document",
]
