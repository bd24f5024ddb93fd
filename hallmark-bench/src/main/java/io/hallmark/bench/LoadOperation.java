package io.hallmark.bench;

/** The operations `bench load` mixes; {@link #key()} is the name in --mix and in the report. */
enum LoadOperation {
    EST("est"), OCSP("ocsp"), FACTORY("factory");

    private final String key;

    LoadOperation(String key) {
        this.key = key;
    }

    String key() {
        return key;
    }

    static LoadOperation named(String key) {
        for (LoadOperation op : values()) if (op.key.equals(key)) return op;
        return null;
    }
}
