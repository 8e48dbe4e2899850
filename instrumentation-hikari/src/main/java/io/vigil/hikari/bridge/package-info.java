/**
 * Classes that implement HikariCP's interfaces. They are never loaded by the agent's class loader:
 * {@code io.vigil.hikari.BridgeClassLoader} defines them, from the agent jar's bytes, in a small
 * loader whose parent is the loader of the pool's {@code HikariPool}, so that {@code
 * MetricsTrackerFactory}, {@code IMetricsTracker} and {@code HikariPool} resolve to the
 * application's own HikariCP classes. They may use only HikariCP, the JDK and {@code
 * io.vigil.bootstrap}.
 */
package io.vigil.hikari.bridge;
