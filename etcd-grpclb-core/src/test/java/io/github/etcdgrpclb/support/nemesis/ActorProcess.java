package io.github.etcdgrpclb.support.nemesis;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.etcdgrpclb.test.Processes;

/**
 * One actor of the nemesis in a JVM of its own, its output (its history) in a file, not a pipe: a
 * child blocked on a full pipe would stop keeping its lease alive. It can be stopped and started
 * again (a server's churn); every JVM it ran in writes to the same file.
 */
public final class ActorProcess {

	private final String name;

	private final List<String> command;

	private final Path log;

	private volatile Process process;

	private ActorProcess(String name, List<String> command, Path log) throws IOException {
		this.name = name;
		this.command = command;
		this.log = log;
		this.process = launch(List.of());
	}

	/**
	 * @param properties system properties of the JVM, "key=value"
	 */
	public static ActorProcess start(String name, Class<?> main, List<String> properties, String... args)
			throws IOException {
		String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
		List<String> command = new ArrayList<>(List.of(java, "-Xmx256m"));
		properties.forEach((property) -> command.add("-D" + property));
		command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
		command.addAll(List.of(args));
		return new ActorProcess(name, List.copyOf(command), Files.createTempFile("nemesis-" + name, ".log"));
	}

	private Process launch(List<String> moreProperties) throws IOException {
		List<String> line = new ArrayList<>(this.command.subList(0, 2));
		moreProperties.forEach((property) -> line.add("-D" + property));
		line.addAll(this.command.subList(2, this.command.size()));
		return new ProcessBuilder(line).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(this.log.toFile()))
			.start();
	}

	public String name() {
		return this.name;
	}

	/** @return every line it printed so far, in every JVM it ran in */
	public List<String> lines() {
		try {
			return Files.readAllLines(this.log);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Waits until it printed a line that starts so. */
	public String awaitLine(String start, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			for (String line : lines()) {
				if (line.startsWith(start)) {
					return line;
				}
			}
			Thread.sleep(20);
		}
		List<String> lines = lines();
		throw new IllegalStateException(this.name + " printed no '" + start + "' within " + timeout + ":\n"
				+ String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())));
	}

	public void pause() {
		Processes.pause(this.process);
	}

	public void resume() {
		Processes.resume(this.process);
	}

	/** Starts it again, after {@link #stop}, with more system properties. */
	public void startAgain(List<String> moreProperties) throws IOException {
		if (this.process.isAlive()) {
			throw new IllegalStateException(this.name + " still runs");
		}
		this.process = launch(moreProperties);
	}

	/** SIGTERM, and SIGKILL when it is not gone within 15 s. */
	public void stop() throws InterruptedException {
		if (!this.process.isAlive()) {
			return;
		}
		Processes.resume(this.process); // a stopped JVM cannot handle SIGTERM
		this.process.destroy();
		if (!this.process.waitFor(15, TimeUnit.SECONDS)) {
			this.process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
		}
	}

}
