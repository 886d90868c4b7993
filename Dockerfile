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
# Biased locking (off by default since JDK 15, gone after 17): the mapping stage's XSLT engine takes an uncontended
# lock on every element it builds and writes (Saxon's java.util.Stack and StringBuffer); with it, EDIFACT mapping took
# about a sixth less CPU (README: Performance). Set before hub-install, so that its CDS archive is written under the
# options the hub runs with. Remove with the move past JDK 17, where the option no longer exists and java refuses it.
# The parallel collector rather than G1: a hub is a throughput workload (webhooks are answered in well under a second
# either way), and with the heap at 512 MB G1's concurrent marking and barriers took up to a sixth of the CPU under a
# flood of orders; end to end sustained about a third more orders per second, at the price of full collections of a
# few hundred ms about every ten seconds while the backlog grows (README: Performance).
ENV JDK_JAVA_OPTIONS="-XX:+UseBiasedLocking -XX:+UseParallelGC"
# The extracted jar and its CDS archive (README: Running the packaged hub), written by this image's own JVM: an
# archive is valid only for the JDK that wrote it.
COPY --from=build /src/target/trade-hub-*.jar /tmp/trade-hub.jar
RUN bin/hub-install /tmp/trade-hub.jar /app/hub && rm /tmp/trade-hub.jar
ENV HUB_MAPPINGS_DIR=/app/mappings
EXPOSE 8080
ENTRYPOINT ["java", "-Xmx512m", "-XX:SharedArchiveFile=/app/hub/hub.jsa", "-Duser.dir=/app", "-jar", "/app/hub/hub.jar"]
