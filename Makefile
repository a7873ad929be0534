# Every target that needs the virtualenv creates it when missing, so a fresh
# clone can run `make test` (or `make ci`) with only Python 3.11, pip and make.

PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
# Hand-written Python: linted, formatted and type-checked strictly.
HAND_WRITTEN := overrides tests codegen examples tools bench
TYPED        := overrides codegen examples tools bench

.PHONY: exports install generate check-generated lint test ci wheel-check demo bench docs clean \
	check-api api-snapshot drill

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,testing,cli]'
	touch $(STAMP)

install: $(STAMP)

generate: $(STAMP)
	$(BIN)/python codegen/generate.py

check-generated: $(STAMP)
	@tmp=$$(mktemp -d); \
	$(BIN)/python codegen/generate.py --out $$tmp >/dev/null || { rm -rf $$tmp; exit 1; }; \
	if diff -ru -x __pycache__ generated/komfortkasse_generated $$tmp/komfortkasse_generated; then \
		echo "generated/ matches a fresh generation"; rm -rf $$tmp; \
	else \
		echo "generated/ differs from a fresh generation: run 'make generate' and commit" >&2; \
		rm -rf $$tmp; exit 1; \
	fi

lint: $(STAMP)
	$(BIN)/ruff check $(HAND_WRITTEN)
	$(BIN)/ruff format --check $(HAND_WRITTEN)
	$(BIN)/mypy $(TYPED)
	$(BIN)/python tools/exports.py --check

# The suite under coverage (started before pytest, so import-time lines count);
# fails below the branch-coverage floor set in pyproject.toml.
test: $(STAMP)
	$(BIN)/coverage erase
	$(BIN)/coverage run -m pytest
	$(BIN)/coverage report

wheel-check: $(STAMP)
	@tmp=$$(mktemp -d); \
	$(BIN)/python -m build --wheel --outdir $$tmp/dist . >$$tmp/build.log 2>&1 || { cat $$tmp/build.log; rm -rf $$tmp; exit 1; }; \
	$(PYTHON) -m venv $$tmp/venv && \
	$$tmp/venv/bin/python -m pip install --quiet $$tmp/dist/*.whl && \
	$$tmp/venv/bin/python -m pip install --quiet jsonschema segno && \
	cd $$tmp && $$tmp/venv/bin/python $(CURDIR)/tools/wheel_smoke.py; \
	status=$$?; rm -rf $$tmp; exit $$status

# HTML API reference from the docstrings; any warning fails the build, except
# pdoc reading `-> list[...]` inside a class that has a `list` method (it resolves
# the name in the class: `_resources.py` should write `builtins.list[...]`; the
# annotation is then shown as written). tests/pipeline/test_docs.py builds the same pages.
DOCS_OUT      ?= build/docs
DOCS_MODULES  := komfortkasse komfortkasse.callbacks komfortkasse.testing komfortkasse_generated.models komfortkasse_generated.api
DOCS_WARNINGS := -W error -W "ignore:Error parsing type annotation list[:UserWarning"
DOCS_FLAGS    := --docformat restructuredtext

docs: $(STAMP)
	rm -rf $(DOCS_OUT)
	$(BIN)/python $(DOCS_WARNINGS) -m pdoc $(DOCS_FLAGS) -o $(DOCS_OUT) $(DOCS_MODULES)
	@echo "API reference: $(DOCS_OUT)/index.html"

# The public API (exports, signatures, model fields, enum members) against the committed
# snapshot: a removal or a type change needs a MAJOR version bump, an addition a new
# snapshot. The tool imports the library installed in the environment it runs in.
check-api: $(STAMP)
	$(BIN)/python tools/api_surface.py

# Rewrite api/public-api.json from the library as it is now (after a version bump, or
# when check-api reports an addition).
# Rewrite the TYPE_CHECKING imports and __all__ of komfortkasse/__init__.py from the
# one table of public names (overrides/komfortkasse/_exports.py).
exports: $(STAMP)
	$(BIN)/python tools/exports.py

api-snapshot: $(STAMP)
	$(BIN)/python tools/api_surface.py --write

# The spec-change drill (tools/drill.py): each spec mutation in a copy of the project,
# regenerated and run through lint, smoke, tests and check-api with no hand edit (breaking
# mutations must fail check-api). Quick tests on the combined additive mutation;
# FULL=1 runs the whole suite on every line.
drill: $(STAMP)
	$(BIN)/python tools/drill.py $(if $(FULL),--full)

ci: check-generated lint test check-api drill wheel-check docs

demo: $(STAMP)
	$(BIN)/python -m komfortkasse.demo

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) build dist *.egg-info .mypy_cache .ruff_cache
