package io.github.etcdgrpclb.test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Compiles README snippets with javac, against the class path the tests run on, so that a snippet
 * that does not compile as a new user pastes it fails a test with javac's own message.
 */
public final class SnippetCompiler {

	private SnippetCompiler() {
	}

	/**
	 * @param folder where sources and classes go (a test's temporary folder)
	 * @param sources compilation units by the name of their public class (default package)
	 * @return a class loader, child of the caller's, that loads the compiled classes
	 * @throws AssertionError with javac's messages and the sources when they do not compile
	 */
	public static ClassLoader compile(Path folder, Map<String, String> sources) {
		try {
			Path sourceFolder = Files.createDirectories(folder.resolve("src"));
			Path classFolder = Files.createDirectories(folder.resolve("classes"));
			List<String> arguments = new ArrayList<>(List.of("-d", classFolder.toString(), "-classpath",
					System.getProperty("java.class.path"), "-proc:none", "-encoding", "UTF-8", "-parameters",
					"-Xlint:none"));
			for (Map.Entry<String, String> source : sources.entrySet()) {
				arguments.add(Files.writeString(sourceFolder.resolve(source.getKey() + ".java"), source.getValue())
					.toString());
			}
			JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
			ByteArrayOutputStream messages = new ByteArrayOutputStream();
			int status = javac.run(null, messages, messages, arguments.toArray(String[]::new));
			if (status != 0) {
				throw new AssertionError("The README's snippet does not compile:\n" + messages.toString(StandardCharsets.UTF_8) + "\n" + sources);
			}
			return new URLClassLoader(new URL[] { url(classFolder) }, Thread.currentThread().getContextClassLoader());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static URL url(Path folder) {
		try {
			return folder.toUri().toURL();
		}
		catch (MalformedURLException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
