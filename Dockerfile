# Builds the hub from this repository (docker-compose.yml: hub-1, hub-2).
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY . .
RUN ./mvnw -B -q -DskipTests package

FROM eclipse-temurin:17-jre
WORKDIR /app
COPY routes /app/routes
COPY mappings /app/mappings
COPY bin/hub-install /app/bin/hub-install
# The extracted jar and its CDS archive (README: Running the packaged hub), written by this image's own JVM: an
# archive is valid only for the JDK that wrote it.
COPY --from=build /src/target/trade-hub-*.jar /tmp/trade-hub.jar
RUN bin/hub-install /tmp/trade-hub.jar /app/hub && rm /tmp/trade-hub.jar
ENV HUB_MAPPINGS_DIR=/app/mappings
EXPOSE 8080
ENTRYPOINT ["java", "-Xmx512m", "-XX:SharedArchiveFile=/app/hub/hub.jsa", "-Duser.dir=/app", "-jar", "/app/hub/hub.jar"]
