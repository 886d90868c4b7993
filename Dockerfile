# Builds the hub from this repository (docker-compose.yml: hub-1, hub-2).
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY . .
RUN ./mvnw -B -q -DskipTests package

FROM eclipse-temurin:17-jre
WORKDIR /app
COPY --from=build /src/target/trade-hub-*.jar /app/hub.jar
COPY routes /app/routes
COPY mappings /app/mappings
ENV HUB_MAPPINGS_DIR=/app/mappings
EXPOSE 8080
ENTRYPOINT ["java", "-Xmx512m", "-Duser.dir=/app", "-jar", "/app/hub.jar"]
