jf_add_fuzzer(wedge SOURCES fuzz_wedge.cpp LIBS jf_scan)
