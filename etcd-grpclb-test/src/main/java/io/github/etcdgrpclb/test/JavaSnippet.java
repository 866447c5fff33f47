package io.github.etcdgrpclb.test;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Java snippet of the README, made compilable as it stands: its imports, and either the classes it
 * declares or the statements it lists. A {@code ...} where code would go (a line of its own, or
 * {@code { ... }}) stands for the reader's code: it becomes a {@link SnippetProbe#reached()} call,
 * so that a test sees that the snippet's method ran.
 */
public final class JavaSnippet {

	private static final Pattern PLACEHOLDER = Pattern.compile("(?<=[\\s{])\\.\\.\\.(?=\\s*(}|//|$))",
			Pattern.MULTILINE);

	private static final Pattern PUBLIC_TYPE = Pattern
		.compile("(?m)^public\\s+(?:final\\s+|abstract\\s+)*(?:class|interface|record|enum)\\s+(\\w+)");

	private final String code;

	JavaSnippet(String code) {
		this.code = code;
	}

	/**
	 * @param literal text the snippet leaves to the reader (an address, a port, the reader's service)
	 * @param replacement what the test puts there
	 * @return the snippet with each occurrence replaced
	 * @throws IllegalArgumentException when the snippet does not contain the text, so that a test
	 * never silently runs something else than the README shows
	 */
	public JavaSnippet replace(String literal, String replacement) {
		if (!this.code.contains(literal)) {
			throw new IllegalArgumentException("The snippet does not contain '" + literal + "':\n" + this.code);
		}
		return new JavaSnippet(this.code.replace(literal, replacement));
	}

	/**
	 * @return the name of the public class the snippet declares
	 * @throws IllegalStateException when it declares none
	 */
	public String publicClassName() {
		Matcher matcher = PUBLIC_TYPE.matcher(this.code);
		if (!matcher.find()) {
			throw new IllegalStateException("The snippet declares no public class:\n" + this.code);
		}
		return matcher.group(1);
	}

	/**
	 * @return the snippet as a compilation unit: it declares its own classes
	 */
	public String asCompilationUnit() {
		return withProbes(this.code);
	}

	/**
	 * @param className the class to wrap the statements in
	 * @param parameters the parameters of its {@code public static void run(...)}, e.g. the
	 * {@code Runnable} a test puts in place of a comment
	 * @return the snippet's imports, then its statements as the body of {@code run}
	 */
	public String asStatements(String className, String parameters) {
		List<String> imports = new ArrayList<>();
		StringBuilder body = new StringBuilder();
		for (String line : this.code.split("\n", -1)) {
			if (line.startsWith("import ")) {
				imports.add(line);
			}
			else {
				body.append("\t\t").append(line).append('\n');
			}
		}
		return String.join("\n", imports) + "\n\npublic final class " + className + " {\n\n"
				+ "\tpublic static void run(" + parameters + ") throws Exception {\n" + withProbes(body.toString())
				+ "\t}\n\n}\n";
	}

	private static String withProbes(String code) {
		return PLACEHOLDER.matcher(code).replaceAll(SnippetProbe.class.getName() + ".reached();");
	}

	@Override
	public String toString() {
		return this.code;
	}

}
