list(APPEND TEST_SOURCES
  server/params_test.cpp
  server/json_writer_test.cpp
  server/facet_json_test.cpp
  server/routes_test.cpp
  server/content_coding_test.cpp
  server/server_process.cpp
  server/server_e2e_test.cpp
  server/openapi_test.cpp
  server/limits_test.cpp)
