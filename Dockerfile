# syntax=docker/dockerfile:1
# socket-proxy container image: built with the Maven wrapper on a JDK, run on a jlink'd
# Java runtime in a distroless base (no shell, no package manager) as a non-root user.
# The runtime and the extracted app are made by scripts/image/build-runtime, the same
# script scripts/verify-image runs on a machine without Docker.
#
#   docker build -t socket-proxy .
#   docker run --read-only --tmpfs /tmp --cap-drop ALL --security-opt no-new-privileges \
#     -v /var/run/docker.sock:/var/run/docker.sock:ro --group-add "$(stat -c %g /var/run/docker.sock)" \
#     socket-proxy -listenip=0.0.0.0 -allowfrom=172.16.0.0/12 -allowGET='/v1\..{1,2}/(version|containers/.*|events.*)'

# JDK 25: its AOT cache (JEP 483/514/515) starts the proxy about twice as fast.
ARG JDK_IMAGE=eclipse-temurin:25-jdk
ARG RUNTIME_IMAGE=gcr.io/distroless/cc-debian12:nonroot

FROM ${JDK_IMAGE} AS build
WORKDIR /src
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -ntp -q dependency:go-offline
COPY src/ src/
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -ntp -q -DskipTests package
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
ENV SP_ALLOWHEALTHCHECK=true
EXPOSE 2375
# The JVM options are sized for a small mem_limit (see README, "Container image"). Nothing
# is written outside /tmp (Netty's native epoll library), so a read-only root works with a /tmp tmpfs.
ENTRYPOINT ["/opt/java/bin/java", "@/app/jvm.options", "-XX:AOTCache=/app/socket-proxy.aot", "-jar", "/app/socket-proxy.jar"]
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
  CMD ["/opt/java/bin/java", "-XX:+UseSerialGC", "-Xmx16m", "-XX:TieredStopAtLevel=1", "-jar", "/app/socket-proxy.jar", "--healthcheck"]
