"""Dagster assets, one per layer and named by it: raw_<source> → parsed_<resource> → validated_<resource>
→ published_release.

The graph is built from the catalog (one raw asset per source) and schemas/package.yaml (which resource
each source family yields). Each asset is a thin wrapper over pipelines/steps.py; Dagster adds lineage,
run history, metadata for auditors, blocking volume checks and scheduling.
"""
from collections import Counter
from datetime import timedelta

import dagster as dg

from pipelines import progress, steps
from pipelines.release import code_version
from pipelines.schemas import columns, dagster_column_schema, family_resources, resource_names, to_csv_bytes
from pipelines.settings import settings
from sources.catalog import FAMILIES, Source
from sources.files import dump_json, sha256_bytes

CODE_VERSION = code_version()
# Nightly at 02:00 Asia/Almaty: a release not refreshed in the 24 hours before 06:00, or a source not crawled for a
# day and a half, shows as stale in Dagster (and in alerts where configured).
RELEASE_FRESHNESS = dg.FreshnessPolicy.cron(deadline_cron="0 6 * * *", lower_bound_delta=timedelta(hours=24), timezone="Asia/Almaty")
SOURCE_FRESHNESS = dg.FreshnessPolicy.time_window(fail_window=timedelta(hours=36), warn_window=timedelta(hours=26))
VOLUME_DROP_LIMIT = 0.5  # a source yielding under half of the latest release's rows blocks publication


def asset_name(source: Source) -> str:
    return f"raw_{source.id.replace('-', '_')}"


def raw_asset(source: Source) -> dg.AssetsDefinition:
    @dg.asset(
        name=asset_name(source),
        group_name="raw",
        description=f"Documents crawled from {source.publisher} ({source.base_url}), archived by sha256.",
        metadata={"source_id": source.id, "base_url": dg.MetadataValue.url(source.base_url), "family": source.family},
        kinds={"python"},
        pool=f"host_{source.id.replace('-', '_')}",
        code_version=CODE_VERSION,
        freshness_policy=SOURCE_FRESHNESS,
    )
    def _raw(context: dg.AssetExecutionContext) -> dg.Output[dict]:
        with progress.step("raw", source.id) as report:
            manifest = steps.raw_crawl(source, settings())
            report["message"] = f"{len(manifest['items'])} items, {len(manifest['documents'])} documents archived"
        return dg.Output(manifest, metadata={
            "items": len(manifest["items"]),
            "documents": len(manifest["documents"]),
            "source_id": source.id,
            "manifest_sha256": sha256_bytes(dump_json(manifest)),  # as the release archives it: `ashyq refresh` compares
            "start_urls": dg.MetadataValue.json(list(source.start_urls)),
            "adapter": source.adapter,
        })

    return _raw


def parsed_family_asset(family: str, sources: list[Source], extra_ins: tuple[str, ...] = ()) -> dg.AssetsDefinition:
    """parsed_<resource> for every resource the family yields, from the family's raw manifests."""
    by_input = {asset_name(s): s for s in sources}
    ins = {name: dg.AssetIn() for name in (*by_input, *extra_ins)}
    outs = {f"parsed_{resource}": dg.AssetOut(group_name="parsed", description=f"{resource}: rows read from archived documents, typed, before validation.") for resource in family_resources(family)}

    @dg.multi_asset(name=f"parse_{family}", ins=ins, outs=outs, code_version=CODE_VERSION)
    def _parse(context: dg.AssetExecutionContext, **inputs):
        manifests = [(by_input[name], inputs[name]) for name in sorted(by_input)]
        with progress.step("parsed", family) as report:
            tables = steps.parsed_family(family, manifests, settings(), **{name: inputs[name] for name in extra_ins})
            report["message"] = ", ".join(f"{len(rows)} {name}" for name, rows in tables.items())
        for resource, rows in tables.items():
            yield dg.Output(rows, output_name=f"parsed_{resource}", metadata={"rows": len(rows), "rows_by_source": dg.MetadataValue.json(_count(r.get("source_id") for r in rows))})

    return _parse


def documents_asset(sources: list[Source]) -> dg.AssetsDefinition:
    ins = {asset_name(s): dg.AssetIn() for s in sources}

    @dg.asset(name="parsed_documents", group_name="parsed", ins=ins, description="One row per archived raw document (page, attachment or file).")
    def _documents(**manifests) -> dg.Output[list]:
        rows = steps.document_rows([manifests[name] for name in sorted(manifests)], settings())
        return dg.Output(rows, metadata={"rows": len(rows)})

    return _documents


@dg.asset(group_name="parsed", description="KATO / SOATE region reference table (sources/reference/regions.csv).")
def parsed_regions() -> dg.Output[list]:
    rows = steps.region_rows()
    return dg.Output(rows, metadata={"rows": len(rows)})


@dg.asset(group_name="parsed", description="Organisations reference table (sources/reference/organisations.csv).")
def parsed_organisations() -> dg.Output[list]:
    rows = steps.organisation_rows(settings())
    return dg.Output(rows, metadata={"rows": len(rows)})


def validated_asset(resources: list[str], volume_sources: dict[str, list[Source]]) -> dg.AssetsDefinition:
    """Validate the whole candidate package at once (foreign keys span resources). Each output is the
    resource's CSV exactly as validated, which is what gets published: bytes pickle in a blink, where a
    million row dicts took Dagster's IO manager seconds each way, and publishing need not write them again.

    The blocking volume check of each family's main resource (`volume_sources`: resource -> its sources) is
    evaluated in this step, from the rows just validated: a separate check step cost a refresh a Dagster
    step's overhead each, and had to read the counts back from the event log."""
    outs = {
        f"validated_{name}": dg.AssetOut(
            group_name="validated",
            description="Rows that failed validation, with their errors (CSV)." if name == "quarantine" else f"{name}: rows that passed schemas/{name}.schema.json (CSV, as published).",
            metadata={"dagster/column_schema": dagster_column_schema(name)},
        )
        for name in [*resources, "quarantine"]
    }
    checks = [
        dg.AssetCheckSpec(name=f"{name}_volume", asset=f"validated_{name}", blocking=True,
                          description=f"Every source of {name} yields valid rows, and not under {VOLUME_DROP_LIMIT:.0%} of the latest release's.")
        for name in volume_sources
    ]

    @dg.multi_asset(name="validate_package", ins={f"parsed_{name}": dg.AssetIn() for name in resources}, outs=outs,
                    check_specs=checks, code_version=CODE_VERSION)
    def _validate(**parsed):
        with progress.step("validated", "package") as report:
            checked = steps.validated({name: parsed[f"parsed_{name}"] for name in resources})
            report["message"] = f"{sum(map(len, checked.tables.values()))} rows valid, {checked.summary()['quarantined_rows']} quarantined"
        by_source = {name: _count(row.get("source_id") or "" for row in checked.tables[name]) for name in resources}
        for name in resources:
            yield dg.Output(checked.written[name].data, output_name=f"validated_{name}", metadata={
                "dagster/row_count": len(checked.tables[name]), "dagster/column_lineage": column_lineage(name),
                "rows_by_source": dg.MetadataValue.json(by_source[name]),
            })
        summary = checked.summary()
        yield dg.Output(
            to_csv_bytes("quarantine", checked.quarantine),
            output_name="validated_quarantine",
            metadata={"dagster/row_count": len(checked.quarantine), "quarantined_rows": summary["quarantined_rows"], "errors_by_type": dg.MetadataValue.json(summary["errors_by_type"])},
        )
        for name, sources in volume_sources.items():
            yield volume_result(name, sources, by_source[name])

    return _validate


def volume_result(resource: str, sources: list[Source], now: dict[str, int]) -> dg.AssetCheckResult:
    """The volume check of `resource` from its valid rows per source (`now`) against the latest release's."""
    before = previous_release_counts(resource, "source_id")
    problems = []
    for source in sources:
        current, previous = now.get(source.id, 0), before.get(source.id, 0)
        if current == 0:
            problems.append(f"{source.id}: no valid rows")
        elif previous and current < previous * VOLUME_DROP_LIMIT:
            problems.append(f"{source.id}: {current} rows, down from {previous} in the latest release")
    return dg.AssetCheckResult(
        asset_key=f"validated_{resource}", check_name=f"{resource}_volume", passed=not problems, severity=dg.AssetCheckSeverity.ERROR,
        metadata={"rows_by_source": dg.MetadataValue.json(now), "latest_release": dg.MetadataValue.json(before), "problems": "; ".join(problems) or "none"},
    )


def column_lineage(resource: str) -> dg.TableColumnLineage:
    """Each validated column is its parsed column, checked (validation never rewrites a value)."""
    parsed = dg.AssetKey(f"parsed_{resource}")
    return dg.TableColumnLineage({column: [dg.TableColumnDep(asset_key=parsed, column_name=column)] for column in columns(resource)})


def previous_release_counts(resource: str, column: str) -> dict:
    from pipelines.release import latest_version, package_dir

    package = package_dir(settings().published_dir)
    version = latest_version(package)
    path = package / version / f"{resource}.csv" if version else None
    if path is None or not path.exists():
        return {}
    from pipelines.csv_sql import column_counts

    return dict(sorted(column_counts(path, column).items()))


def published_asset(resources: list[str], sources: list[Source]) -> dg.AssetsDefinition:
    names = [*resources, "quarantine"]

    raws = {asset_name(s): s for s in sources}

    @dg.asset(
        name="published_release",
        group_name="published",
        ins={**{f"validated_{name}": dg.AssetIn() for name in names}, **{raw: dg.AssetIn() for raw in raws}},
        description="A versioned, checksummed Data Package release in published/<package>/<version>/, with its raw documents.",
        code_version=CODE_VERSION,
        freshness_policy=RELEASE_FRESHNESS,
    )
    def _published(**inputs) -> dg.MaterializeResult:
        manifests = {raws[raw].id: inputs[raw] for raw in raws}
        with progress.step("published", "release") as report:
            outcome = steps.published({name: inputs[f"validated_{name}"] for name in names}, settings(), sources, manifests)
            report["message"] = f"{outcome.version} ({outcome.reason})" if outcome.published else f"nothing new ({outcome.reason})"
        changelog = outcome.path / "CHANGELOG.md"
        return dg.MaterializeResult(
            metadata={
                "version": outcome.version,
                "published": outcome.published,
                "reason": outcome.reason,
                "changes": outcome.summary,
                "path": dg.MetadataValue.path(str(outcome.path)),
                "source_documents": dg.MetadataValue.path(str(outcome.path / "archive")),
                "sources": dg.MetadataValue.json({s.id: s.base_url for s in sources}),
                "changelog": dg.MetadataValue.md(changelog.read_text("utf-8") if changelog.exists() else ""),
                "code_version": CODE_VERSION,
            }
        )

    return _published


@dg.asset(group_name="published", deps=["published_release"], code_version=CODE_VERSION,
          description="The latest release's tables in the SQL database named by ASHYQ_WAREHOUSE_URL (SQLite by default).")
def warehouse_tables() -> dg.MaterializeResult:
    with progress.step("warehouse", "tables") as report:
        report["message"] = steps.load_warehouse(settings())
    return dg.MaterializeResult(metadata={"outcome": report["message"]})


def build_assets(sources: list[Source]) -> list[dg.AssetsDefinition]:
    """All assets (and their checks) for the given sources: families without sources contribute nothing."""
    families = [family for family in FAMILIES if any(s.family == family for s in sources)]
    assets, volume = [raw_asset(s) for s in sources], {}
    resources = ["documents", "regions", "organisations"]
    for family in families:
        members = [s for s in sources if s.family == family]
        extra = ("parsed_memoranda",) if family == "projects" and "memoranda" in families else ()
        assets.append(parsed_family_asset(family, members, extra))
        resources += family_resources(family)
        volume[family_resources(family)[0]] = members
    resources = [name for name in resource_names() if name in resources]
    assets += [documents_asset(sources), parsed_regions, parsed_organisations, validated_asset(resources, volume),
               published_asset(resources, sources), warehouse_tables]
    return assets


def _count(values) -> dict:
    return dict(sorted(Counter(values).items(), key=lambda kv: str(kv[0])))
