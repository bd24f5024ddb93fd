package io.hallmark.cli;

/**
 * A top-level {@code hallmark} command that lives in another module: {@link Main} finds it on the class
 * path with {@link java.util.ServiceLoader} ({@code META-INF/services/io.hallmark.cli.ModuleCommand}), so
 * this module's code does not depend on it. {@code hallmark bench} (module hallmark-bench) comes this way:
 * benchmarks ship in the launcher without being part of the CLI.
 *
 * <p>An implementation is a picocli {@code @Command} class with a public no-argument constructor, written
 * like any command here: it inherits {@code --data} and {@code --db}, and reaches them through a
 * {@code @ParentCommand HallmarkCommand} field. What such a command may use of the CLI is public:
 * {@link Installation}, {@link Output}, {@link ExitCodes}.
 */
public interface ModuleCommand {
}
