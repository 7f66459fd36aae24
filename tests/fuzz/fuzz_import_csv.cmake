jf_add_fuzzer(import_csv SOURCES fuzz_import_csv.cpp LIBS jf_forms)
