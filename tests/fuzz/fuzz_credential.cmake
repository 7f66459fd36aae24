jf_add_fuzzer(credential SOURCES fuzz_credential.cpp LIBS jf_protocol)
