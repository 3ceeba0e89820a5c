"""Companies' own disclosures of social projects: name, place, timing, contractor, amount — per project.

    parse_file(data, name=...)          {"social_projects": rows} of an HTML/XLSX/CSV projects list
    link_memoranda(projects, memoranda) the memorandum each project implements, when exactly one fits
    default_rules()                     sector, OECD DAC gender marker and status rules (project_rules.yaml)
    unresolved_organisations(rows)      company / contractor names no organisation matched, with the reason
"""
from sources.projects.files import RESOURCE, parse_file, read_rows
from sources.projects.link import link_memoranda
from sources.projects.record import unresolved_organisations
from sources.projects.rules import SECTORS, STATUSES, default_rules

__all__ = ["RESOURCE", "SECTORS", "STATUSES", "default_rules", "link_memoranda", "parse_file", "read_rows", "unresolved_organisations"]
