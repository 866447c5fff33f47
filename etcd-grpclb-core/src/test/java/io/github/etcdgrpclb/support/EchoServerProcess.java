package io.github.etcdgrpclb.support;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link PlainEchoServer} in a JVM of its own, for what only a process can show: SIGTERM (it
 * deregisters, drains and stops) and kill -9 (its lease has to expire).
 *
 * @param process the JVM
 * @param port the port it serves on
 */
public record EchoServerProcess(Process process, int port) implements AutoCloseable {

	/**
	 * Starts one and waits until it serves.
	 * @param metadataJson its metadata, or null for none
	 */
	public static EchoServerProcess start(String endpoints, String service, String name, int weight, int ttlSeconds,
			String metadataJson) throws IOException {
		String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
		List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
				PlainEchoServer.class.getName(), endpoints, service, name, Integer.toString(weight),
				Integer.toString(ttlSeconds)));
		if (metadataJson != null) {
			command.add(metadataJson);
		}
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
		String line;
		while ((line = out.readLine()) != null && !line.startsWith("PORT=")) {
			// Skip the log lines before the port.
		}
		if (line == null) {
			process.destroyForcibly();
			throw new IllegalStateException("The server process ended before it served (exit " + process.exitValue() + ")");
		}
		Thread drain = new Thread(() -> {
			try {
				while (out.readLine() != null) {
					// Keep the pipe from filling up.
				}
			}
			catch (IOException ex) {
				// Process gone.
			}
		});
		drain.setDaemon(true);
		drain.start();
		return new EchoServerProcess(process, Integer.parseInt(line.substring("PORT=".length()).trim()));
	}

	/** Ends it at once, as kill -9 does: no deregistration, the lease has to expire. */
	@Override
	public void close() {
		this.process.destroyForcibly();
	}

}
