PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TIME_LIMIT ?= 30

.PHONY: install run run-exams test lint bench bench-exams bench-lessons bench-load bench-together bench-sac bench-service bench-rooms clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	$(BIN)/python -m benchmarks.compiled  # the numba loops into their on-disk cache, once
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/registrar demo up

run-exams: $(STAMP)
	$(BIN)/registrar exams solve datasets/instances/itc2007/exam_comp_set4.exam.gz --time-limit $(TIME_LIMIT)

# two processes: most of the suite waits on time limits, servers and databases rather than a core
test: $(STAMP)
	$(BIN)/pytest -q -n 2 --dist worksteal

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

bench: bench-exams bench-lessons bench-load bench-together bench-sac bench-rooms

bench-exams: $(STAMP)
	$(BIN)/python -m benchmarks.exams --time-limits 60 300 --workers 2

bench-lessons: $(STAMP)
	$(BIN)/python -m benchmarks.lessons --time-limits 60 300 --workers 2 --families cbctt pe semester

bench-sac: $(STAMP)
	$(BIN)/python -m benchmarks.attestation --time-limits 10 60 --workers 2

bench-load: $(STAMP)
	$(BIN)/python -m benchmarks.load --time-limits 10 60 --large-time-limits 10 60 300 --workers 2

bench-together: $(STAMP)
	$(BIN)/python -m benchmarks.together --time-limits 30 60 --workers 2

bench-service: $(STAMP)
	$(BIN)/python -m benchmarks.service_latency

bench-rooms: $(STAMP)
	$(BIN)/python -m benchmarks.rooms_latency

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
