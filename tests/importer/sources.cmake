list(APPEND TEST_SOURCES
  importer/coordinates_test.cpp
  importer/text_test.cpp
  importer/ptv_location_test.cpp
  importer/ptv_json_test.cpp
  importer/ptv_export_test.cpp
  importer/merge_test.cpp
  importer/program_test.cpp)
