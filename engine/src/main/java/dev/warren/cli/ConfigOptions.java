package dev.warren.cli;

import java.nio.file.Path;

/**
 * The options of {@code warren edge} and {@code warren connector}: {@code --config FILE} (or {@code --config=FILE}),
 * {@code -h}/{@code --help}. Immutable.
 *
 * @param config the YAML file; null only with {@code help}.
 * @param help   {@code --help} was given: print the usage and run nothing.
 */
record ConfigOptions(Path config, boolean help)
{
    /** Parses the arguments after the command name {@code command}. */
    static ConfigOptions parse(final String command, final String[] args, final int from) throws UsageException
    {
        Path config = null;
        for (int i = from; i < args.length; i++)
        {
            final String arg = args[i];
            if ("-h".equals(arg) || "--help".equals(arg))
            {
                return new ConfigOptions(null, true);
            }
            final String value;
            if ("--config".equals(arg))
            {
                if (i + 1 >= args.length)
                {
                    throw new UsageException(command + ": option '--config' needs a file");
                }
                value = args[++i];
            }
            else if (arg.startsWith("--config="))
            {
                value = arg.substring("--config=".length());
            }
            else
            {
                throw new UsageException(arg.startsWith("-") ?
                    command + ": unknown option '" + arg + "'" : command + ": unexpected argument '" + arg + "'");
            }
            if (value.isEmpty())
            {
                throw new UsageException(command + ": option '--config' needs a file");
            }
            if (config != null)
            {
                throw new UsageException(command + ": '--config' given twice");
            }
            config = Path.of(value);
        }
        if (config == null)
        {
            throw new UsageException(command + ": --config FILE is required");
        }
        return new ConfigOptions(config, false);
    }
}
