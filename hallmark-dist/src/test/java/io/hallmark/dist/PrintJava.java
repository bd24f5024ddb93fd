package io.hallmark.dist;

/** The main class of DistLayoutTest's stand-in launcher jar: says which real Java the launcher started. */
public final class PrintJava {
    private PrintJava() {
    }

    public static void main(String[] args) {
        System.out.println("java.home=" + System.getProperty("java.home") + " release=" + Runtime.version().feature());
    }
}
