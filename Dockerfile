# syntax=docker/dockerfile:1
# The InsurRateX image: one image, three roles (irx api | irx worker | irx reference-engine).
# Build: docker build -t insurratex:$(git rev-parse --short HEAD) .   (docs/deployment.md)
# Runtime dependencies are pinned in deploy/requirements.lock (deploy/lock.py).

# --- build: wheels for the project and every pinned dependency ---------------------
FROM python:3.11.11-slim-bookworm AS build
# checkov:skip=CKV_DOCKER_2: the build stage is never run; the runtime stage has its HEALTHCHECK
# checkov:skip=CKV_DOCKER_3: the build stage is never run; the runtime stage runs as a non-root user
WORKDIR /src
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
COPY deploy/requirements.lock deploy/requirements.lock
RUN python -m venv /opt/irx \
 && /opt/irx/bin/pip install --constraint deploy/requirements.lock --requirement deploy/requirements.lock
COPY pyproject.toml README.md ./
COPY activities activities
COPY api api
COPY engines engines
COPY infra infra
COPY irx irx
COPY models models
COPY reference_engine reference_engine
COPY services services
COPY store store
COPY workers workers
COPY workflows workflows
# The rating workspace's committed build, served at /workspace (docs/workspace.md).
COPY workspace/dist workspace/dist
RUN /opt/irx/bin/pip install --no-deps --constraint deploy/requirements.lock . \
 && /opt/irx/bin/irx --help > /dev/null

# --- runtime: the virtualenv only, as an unprivileged user --------------------------
FROM python:3.11.11-slim-bookworm AS runtime
LABEL org.opencontainers.image.title="insurratex" \
      org.opencontainers.image.description="Insurance rating orchestration on Temporal"
RUN groupadd --system --gid 10001 irx \
 && useradd --system --uid 10001 --gid irx --home-dir /home/irx --create-home irx
COPY --from=build /opt/irx /opt/irx
COPY --from=build /src/workspace/dist /opt/irx/share/workspace
ENV PATH=/opt/irx/bin:$PATH \
    IRX_API__WORKSPACE_DIR=/opt/irx/share/workspace \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    IRX_API__HOST=0.0.0.0
USER 10001:10001
WORKDIR /home/irx
EXPOSE 8000
# The API's liveness endpoint; worker pods use Kubernetes probes on their own process.
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s --retries=3 \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/api/v1/health/live', timeout=2)"]
ENTRYPOINT ["irx"]
CMD ["api"]
