jf_add_fuzzer(event_codec SOURCES fuzz_event_codec.cpp LIBS jf_domain)
