package dev.warren.loadgen;

/** For trying loadgen by hand: {@code java ... dev.warren.loadgen.ManualEchoServer} prints its port and echoes. */
final class ManualEchoServer
{
    private ManualEchoServer()
    {
    }

    public static void main(final String[] args) throws InterruptedException
    {
        final LoopbackEchoServer server = LoopbackEchoServer.echoing();
        if (args.length == 2)
        {
            server.stallOnceAfter(Long.parseLong(args[0]) * 1_000_000L, Long.parseLong(args[1]) * 1_000_000L);
        }
        System.out.println(server.address());
        Thread.currentThread().join();
    }
}
