# syntax=docker/dockerfile:1
# The Linkwell service image. Build from the repository root:
#   docker build -t linkwell .
# Run it with compose.yaml, or:
#   docker run -p 3000:3000 -v linkwell-data:/data -e API_KEY=... linkwell
# ContainerFilesTest (service tests) checks this file: stages, jar name, non-root user, volume, health check.

# --- build: the service jar and the modules it needs, tests skipped (CI runs them); the image has no Node.js, so
#     the Baileys host is not installed (provider baileys answers 503 in it; see README, Engines) ---
FROM eclipse-temurin:25-jdk AS build
WORKDIR /src
COPY mvnw pom.xml ./
COPY .mvn/ .mvn/
COPY protocol/ protocol/
COPY simulator/ simulator/
COPY client/ client/
COPY service/ service/
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -q -pl service -am -DskipTests package -Dbaileys.skipInstall=true

# --- run: a JRE, the jar, a user without privileges, STORAGE_ROOT on a volume ---
FROM eclipse-temurin:25-jre
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 linkwell \
 && useradd --system --uid 10001 --gid linkwell --home-dir /app --no-create-home --shell /usr/sbin/nologin linkwell \
 && mkdir -p /app /data \
 && chown linkwell:linkwell /data \
 && chmod 0700 /data
WORKDIR /app
COPY --from=build /src/service/target/linkwell-service.jar /app/linkwell-service.jar
ENV PORT=3000 \
    STORAGE_ROOT=/data \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75"
VOLUME ["/data"]
EXPOSE 3000
USER 10001:10001
# Ready means: the storage root takes writes and the webhook outbox is readable.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD curl -fsS "http://127.0.0.1:${PORT}/actuator/health/readiness" || exit 1
# Exec form: java gets SIGTERM itself and shuts down gracefully (see README, Operations).
ENTRYPOINT ["java", "--enable-native-access=ALL-UNNAMED", "-jar", "/app/linkwell-service.jar"]
