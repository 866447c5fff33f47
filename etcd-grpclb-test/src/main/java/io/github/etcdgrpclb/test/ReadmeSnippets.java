package io.github.etcdgrpclb.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The README's snippets, so that tests run applications with exactly what a new user pastes: YAML
 * written to a file, Java compiled with {@link SnippetCompiler}. A snippet is the first fenced code
 * block after a line {@code <!-- snippet: <name> ... -->}.
 */
public final class ReadmeSnippets {

	private final String readme;

	private ReadmeSnippets(String readme) {
		this.readme = readme;
	}

	/**
	 * @param readme the README's path
	 * @return its snippets
	 */
	public static ReadmeSnippets of(Path readme) {
		try {
			return new ReadmeSnippets(Files.readString(readme));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * @param name the snippet's name
	 * @return the code block's text, without the fences
	 * @throws IllegalArgumentException when the README has no such snippet
	 */
	public String get(String name) {
		int marker = this.readme.indexOf("<!-- snippet: " + name + " ");
		if (marker < 0) {
			marker = this.readme.indexOf("<!-- snippet: " + name + "-->");
		}
		if (marker < 0) {
			throw new IllegalArgumentException("README.md has no snippet '" + name + "'");
		}
		int open = this.readme.indexOf("```", marker);
		int start = this.readme.indexOf('\n', open) + 1;
		int close = this.readme.indexOf("\n```", start);
		if (open < 0 || close < 0) {
			throw new IllegalArgumentException("README.md's snippet '" + name + "' has no fenced code block");
		}
		return this.readme.substring(start, close + 1);
	}

	/**
	 * @param name the snippet's name
	 * @return the Java code block, to compile and run with {@link SnippetCompiler}
	 */
	public JavaSnippet java(String name) {
		return new JavaSnippet(get(name));
	}

	/**
	 * Writes a snippet to a file, e.g. an application.yml to start an application with.
	 * @return the file
	 */
	public Path write(String name, Path file) {
		try {
			return Files.writeString(file, get(name));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
