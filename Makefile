# Build targets that `sam build` calls for the functions in template.yaml (Metadata: BuildMethod: makefile).
# SAM runs `make build-<LogicalId>` with ARTIFACTS_DIR set to the folder it zips for that function.
#
# Both functions use the layout the Lambda Java runtime puts on its classpath: classes at the root of the
# zip and every runtime dependency under lib/. The module is built with the modules it depends on in one
# reactor (-am), so nothing has to be installed into the local Maven repository first. The API package gets
# core and aws; the batch package adds parquet. Neither depends on embedded, so DuckDB and ElasticMQ never reach a
# Lambda package (LambdaClasspathTest in api checks the API side).

MVN ?= mvn
MVN_FLAGS ?= -B -q -DskipTests

.PHONY: build-ApiFunction build-BatchFunction

build-ApiFunction:
	$(MVN) $(MVN_FLAGS) -pl api -am package dependency:copy-dependencies -DincludeScope=runtime
	mkdir -p "$(ARTIFACTS_DIR)/lib"
	cp -R api/target/classes/. "$(ARTIFACTS_DIR)/"
	cp api/target/dependency/*.jar "$(ARTIFACTS_DIR)/lib/"
	cp infra/sam/run-api.sh "$(ARTIFACTS_DIR)/run.sh"
	chmod 755 "$(ARTIFACTS_DIR)/run.sh"

build-BatchFunction:
	$(MVN) $(MVN_FLAGS) -pl batch -am package dependency:copy-dependencies -DincludeScope=runtime
	mkdir -p "$(ARTIFACTS_DIR)/lib"
	cp -R batch/target/classes/. "$(ARTIFACTS_DIR)/"
	cp batch/target/dependency/*.jar "$(ARTIFACTS_DIR)/lib/"
