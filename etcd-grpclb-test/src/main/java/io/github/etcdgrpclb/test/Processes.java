package io.github.etcdgrpclb.test;

import java.io.IOException;

/**
 * Stops and continues another process, as a stop-the-world pause does (a long GC, a frozen VM, a
 * laptop lid): SIGSTOP and SIGCONT. The process keeps its sockets and its view of time jumps when it
 * continues, which is what lease-based code must survive.
 */
public final class Processes {

	private Processes() {
	}

	/** Stops the process (SIGSTOP). */
	public static void pause(Process process) {
		signal(process, "-STOP");
	}

	/** Lets a stopped process go on (SIGCONT). */
	public static void resume(Process process) {
		signal(process, "-CONT");
	}

	private static void signal(Process process, String signal) {
		try {
			Process kill = new ProcessBuilder("kill", signal, Long.toString(process.pid())).inheritIO().start();
			if (kill.waitFor() != 0) {
				throw new IllegalStateException("kill " + signal + " " + process.pid() + " failed");
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot signal process " + process.pid(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while signalling process " + process.pid(), ex);
		}
	}

}
