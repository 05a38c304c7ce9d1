list(APPEND TEST_SOURCES
  indexer/binary_test.cpp
  indexer/index_identity_test.cpp
  indexer/index_store_test.cpp
  indexer/indexer_test.cpp
)
