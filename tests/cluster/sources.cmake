list(APPEND TEST_SOURCES cluster/cluster_support.cpp cluster/cluster_fixture.cpp cluster/shards_test.cpp cluster/routing_test.cpp cluster/replica_test.cpp)
