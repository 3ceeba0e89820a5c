# Two commands for a fresh clone: `make publish` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: publish test install dev bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test,postgres]"
	touch $(STAMP)

install: $(STAMP)

## Crawl the bundled offline mirror, validate, and publish a release into published/
publish: $(STAMP)
	$(BIN)/ashyq refresh

## Run the test suite (offline)
test: $(STAMP)
	$(BIN)/pytest -q

## Benchmarks: validation vs Frictionless at 100k/1M/10M rows, and the whole pipeline (writes docs/benchmarks.md)
bench: $(STAMP)
	$(BIN)/python -m bench.run

## Dagster UI with the daemon (schedules) on the project-local instance
dev: $(STAMP)
	DAGSTER_HOME=$(CURDIR)/var/dagster $(BIN)/python -c "from pipelines.settings import ensure_dagster_home; ensure_dagster_home()"
	DAGSTER_HOME=$(CURDIR)/var/dagster $(BIN)/dagster dev

clean:
	rm -rf var published/*/ published/*/latest.json
