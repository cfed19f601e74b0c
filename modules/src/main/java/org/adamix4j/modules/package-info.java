/**
 * The adaptation methods: each a validated, immutable config record plus the module that builds its
 * SameDiff sub-graph at the sites it targets ({@code adapter}, {@code lora}, {@code baseline}), the
 * model-level wiring ({@link org.adamix4j.modules.PeftModel}), merging, and the adapter checkpoint
 * format ({@code checkpoint}).
 */
package org.adamix4j.modules;
