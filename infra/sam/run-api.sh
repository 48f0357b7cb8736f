#!/bin/sh
# Handler of ApiFunction. The AWS Lambda Web Adapter layer (AWS_LAMBDA_EXEC_WRAPPER=/opt/bootstrap) runs this
# script, waits until AWS_LWA_READINESS_CHECK_PATH answers on AWS_LWA_PORT, and then forwards every HTTP API
# event to the app as a plain HTTP request. The app is the unchanged Spring Boot app of module api; the
# classpath is the zip that `make build-ApiFunction` lays out (classes at the root, dependencies in lib/).
exec java -cp "${LAMBDA_TASK_ROOT}:${LAMBDA_TASK_ROOT}/lib/*" dev.soi.api.ApiApplication
