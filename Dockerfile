# claimcheck in a container (see docs/ci.md, "Container"):
#   docker build -t claimcheck .
#   docker run --rm -v "$PWD:/work" claimcheck verify --offline
# Not built in CI: the tests run from the package itself.
FROM python:3.12-slim AS build
WORKDIR /src
COPY pyproject.toml README.md LICENSE claims.schema.json ./
COPY claimcheck ./claimcheck
COPY data ./data
RUN pip wheel --no-cache-dir --no-deps --wheel-dir /wheels .

FROM python:3.12-slim
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels \
    && useradd --create-home --uid 10001 claimcheck
# Not root: a ledger from a pull request is untrusted input. The link store lives in
# the user's cache folder; mount a volume on it to keep link history between runs.
USER claimcheck
ENV XDG_CACHE_HOME=/home/claimcheck/.cache
VOLUME ["/home/claimcheck/.cache"]
WORKDIR /work
ENTRYPOINT ["claimcheck"]
CMD ["--help"]
