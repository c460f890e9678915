package live.cascade.api; public final class ServerMain { public static void main(String[] a) {} }
