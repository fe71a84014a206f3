# socket-proxy container image: built with the Maven wrapper on a JDK, run on a jlink'd
# Java runtime in a distroless base (no shell, no package manager) as a non-root user.
# The runtime and the extracted app are made by scripts/image/build-runtime, the same
# script scripts/verify-image and ImageRuntimeIT run on a machine without Docker.
#
# Needs BuildKit, the one built into the Docker daemon (no frontend image is pulled):
# Docker 23+ with the buildx plugin uses it for a plain `docker build`; Docker 18.09-22
# (Debian bookworm's docker.io 20.10) needs DOCKER_BUILDKIT=1. See docs/operations.md, "Container image",
# for a Maven mirror (settings.xml) or a company CA (build secrets) and local base images.
#
#   DOCKER_BUILDKIT=1 docker build -t socket-proxy .
#   docker run -d --read-only --tmpfs /tmp --cap-drop ALL --security-opt no-new-privileges \
#     -v /var/run/docker.sock:/var/run/docker.sock:ro --group-add "$(stat -c %g /var/run/docker.sock)" \
#     socket-proxy -listenip=0.0.0.0 -allowfrom=172.16.0.0/12 -allowHEAD=/_ping \
#     -allowGET='/_ping|/v1\.[0-9]+/(version|events|containers/json|containers/[^/]+/json)'

# JDK 25: its AOT cache (JEP 483/514/515) starts the proxy about twice as fast.
ARG JDK_IMAGE=eclipse-temurin:25-jdk
ARG RUNTIME_IMAGE=gcr.io/distroless/cc-debian12:nonroot

FROM ${JDK_IMAGE} AS build
# Where the Maven wrapper downloads Maven from (a mirror of Maven Central); empty: Central.
ARG MVNW_REPOURL=
WORKDIR /src
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
COPY scripts/image/maven scripts/image/maven
RUN --mount=type=cache,target=/root/.m2 --mount=type=secret,id=maven-settings --mount=type=secret,id=ca-cert \
    scripts/image/maven -B -ntp -q dependency:go-offline
COPY src/ src/
RUN --mount=type=cache,target=/root/.m2 --mount=type=secret,id=maven-settings --mount=type=secret,id=ca-cert \
    scripts/image/maven -B -ntp -q -DskipTests package
COPY scripts/image/ scripts/image/
RUN scripts/image/build-runtime "$JAVA_HOME" target/socket-proxy.jar /out \
 && scripts/image/train-aot /out/runtime /out/app "$JAVA_HOME" \
 && cp scripts/image/jvm.options /out/app/jvm.options

FROM ${RUNTIME_IMAGE}
COPY --from=build /out/runtime /opt/java
COPY --from=build /out/app /app
# distroless "nonroot"; add the docker.sock group with --group-add / group_add.
USER 65532:65532
# The health endpoint listens on 127.0.0.1:55555 inside the container only; the
# HEALTHCHECK below needs it. -allowhealthcheck=false turns it off (then drop the HEALTHCHECK).
# Two proxies sharing a network namespace (network_mode: host) need different ports:
# set SOCKETPROXY_MANAGEMENT_PORT, which the HEALTHCHECK reads too.
ENV SP_ALLOWHEALTHCHECK=true
EXPOSE 2375
# The JVM options are sized for a small mem_limit (see docs/operations.md, "Container image"). Nothing is
# written outside /tmp, and nothing there is executed: Netty's epoll library sits in
# /opt/java/lib, where the JVM finds it before Netty would unpack it into /tmp (which
# --tmpfs /tmp mounts noexec), so a read-only root with a /tmp tmpfs runs on epoll.
ENTRYPOINT ["/opt/java/bin/java", "@/app/jvm.options", "-XX:AOTCache=/app/socket-proxy.aot", "-jar", "/app/socket-proxy.jar"]
# The first check runs one interval after start. Docker 25+ could check sooner with
# --start-interval, which older builders refuse: compose files can set start_interval instead.
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
  CMD ["/opt/java/bin/java", "-XX:+UseSerialGC", "-Xmx16m", "-XX:TieredStopAtLevel=1", "-jar", "/app/socket-proxy.jar", "--healthcheck"]
