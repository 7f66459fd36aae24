jf_add_fuzzer(log_scrub SOURCES fuzz_log_scrub.cpp LIBS jf_log)
