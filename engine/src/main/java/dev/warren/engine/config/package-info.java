/**
 * YAML configuration (SPEC §6): {@link dev.warren.engine.config.ConfigLoader} reads an edge or a connector file
 * into the same configuration records embedders build in Java, with Chronicle Wire doing the YAML reading, and
 * fails with one {@link dev.warren.engine.config.ConfigException} naming the file, the key and the line.
 * <p>
 * The path of a load: {@code SourceCheck} (UTF-8, no control characters, no tabs in indentation) →
 * {@code VariableReferences.protect} ({@code ${VAR}} kept intact for the tokeniser) → {@code YamlTreeReader}
 * (Chronicle's {@code YamlTokeniser} → a tree of {@code YamlNode}s with lines) → {@code EdgeConfigReader} or
 * {@code ConnectorConfigReader} (through {@code MappingReader}: exact keys, types, references resolved) → the record.
 * <p>
 * <b>Threading.</b> A load runs on the calling thread and shares nothing; configuration is read at start-up, never
 * on the relay path (Chronicle's first parse in a JVM costs a few hundred milliseconds).
 */
package dev.warren.engine.config;
