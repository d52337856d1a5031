# SPDX-License-Identifier: LGPL-2.1-or-later
# Included by bench/CMakeLists.txt: ip: RX throughput over loopback against a
# raw TCP copy of the same bytes (needs iiod, the ip: and local: backends).
if(TARGET iiod AND WITH_NETWORK_BACKEND AND WITH_LOCAL_BACKEND)
	add_executable(bench-network ${CMAKE_CURRENT_LIST_DIR}/bench-network.c)
	target_link_libraries(bench-network PRIVATE iio Threads::Threads)
	target_compile_definitions(bench-network PRIVATE
		IIO_SOURCE_DIR="${CMAKE_SOURCE_DIR}" IIO_BUILD_DIR="${CMAKE_BINARY_DIR}")
	add_dependencies(bench-network iiod)
	add_custom_target(bench-network-run COMMAND bench-network DEPENDS bench-network
		USES_TERMINAL COMMENT "ip: RX throughput over loopback")
	if(WITH_TESTS)
		add_test(NAME bench/network COMMAND bench-network --quick)
		set_tests_properties(bench/network PROPERTIES LABELS bench TIMEOUT 300)
	endif()
endif()
