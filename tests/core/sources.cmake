list(APPEND TEST_SOURCES core/analyzer_test.cpp core/record_test.cpp core/validate_test.cpp core/vocab_test.cpp core/corpus_test.cpp core/search_test.cpp core/facets_test.cpp core/quality_test.cpp)
