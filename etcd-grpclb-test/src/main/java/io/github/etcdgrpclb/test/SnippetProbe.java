package io.github.etcdgrpclb.test;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stands where a README snippet says {@code ...} (see {@link JavaSnippet}): counts, per method,
 * how often the reader's code would have run, and runs what a test wants checked at that moment
 * (that the lock is held while the method runs, for example).
 */
public final class SnippetProbe {

	private static final Map<String, AtomicInteger> reached = new ConcurrentHashMap<>();

	private static final Map<String, Runnable> checks = new ConcurrentHashMap<>();

	private SnippetProbe() {
	}

	/** Called by the compiled snippet in place of its {@code ...}. */
	public static void reached() {
		String method = StackWalker.getInstance()
			.walk((frames) -> frames.skip(1).findFirst())
			.map((frame) -> simpleName(frame.getClassName()) + "." + frame.getMethodName())
			.orElseThrow();
		checks.getOrDefault(method, () -> {
		}).run();
		reached.computeIfAbsent(method, (key) -> new AtomicInteger()).incrementAndGet();
	}

	/**
	 * @param method {@code SimpleClassName.method}
	 * @return how often the snippet's code ran there
	 */
	public static int count(String method) {
		AtomicInteger count = reached.get(method);
		return (count != null) ? count.get() : 0;
	}

	/**
	 * @param method {@code SimpleClassName.method}
	 * @param check runs each time the snippet's code there runs, on the snippet's thread; what it
	 * throws, the snippet's method throws
	 */
	public static void whenReached(String method, Runnable check) {
		checks.put(method, check);
	}

	/** Forgets counts and checks, between tests. */
	public static void reset() {
		reached.clear();
		checks.clear();
	}

	private static String simpleName(String className) {
		return className.substring(className.lastIndexOf('.') + 1).replaceAll(".*\\$", "");
	}

}
