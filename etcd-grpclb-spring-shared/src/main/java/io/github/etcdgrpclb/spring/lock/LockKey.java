package io.github.etcdgrpclb.spring.lock;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.springframework.context.expression.MethodBasedEvaluationContext;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.expression.Expression;
import org.springframework.expression.ParseException;
import org.springframework.expression.spel.SpelNode;
import org.springframework.expression.spel.ast.VariableReference;
import org.springframework.expression.spel.standard.SpelExpression;
import org.springframework.expression.spel.standard.SpelExpressionParser;

/**
 * The key of one {@code @EtcdLock} method: a literal, or a SpEL expression over the method's
 * arguments ({@code "'order:' + #orderId"}), parsed and checked once. A variable the method does not
 * have would evaluate to null and put every call under one lock ({@code /locks/order:null}), so it
 * is refused here, naming the variable and the method's parameters.
 */
final class LockKey {

	private static final SpelExpressionParser parser = new SpelExpressionParser();

	private static final ParameterNameDiscoverer parameterNames = new DefaultParameterNameDiscoverer();

	/** SpEL's own variables and the positional names MethodBasedEvaluationContext defines. */
	private static final Pattern BUILT_IN = Pattern.compile("this|root|[ap]\\d+");

	private final String text;

	private final Method method;

	private final Expression expression;

	private LockKey(String text, Method method, Expression expression) {
		this.text = text;
		this.method = method;
		this.expression = expression;
	}

	/**
	 * @param text the annotation's key
	 * @param method the annotated method
	 * @return the checked key
	 * @throws InvalidEtcdLockException when it is blank, does not parse or names an unknown variable
	 */
	static LockKey of(String text, Method method) {
		if (!isExpression(text)) {
			if (text.isBlank()) {
				throw new InvalidEtcdLockException(where(text, method) + ": the key must not be blank");
			}
			return new LockKey(text, method, null);
		}
		SpelExpression expression;
		try {
			expression = (SpelExpression) parser.parseExpression(text);
		}
		catch (ParseException ex) {
			throw new InvalidEtcdLockException(where(text, method) + ": the key expression failed to parse: "
					+ ex.getSimpleMessage(), ex);
		}
		checkVariables(text, method, expression);
		return new LockKey(text, method, expression);
	}

	static boolean isExpression(String key) {
		return key.contains("#") || key.startsWith("'");
	}

	/**
	 * @return the key for one call
	 * @throws IllegalArgumentException when it fails or comes out null or blank
	 */
	String evaluate(Object[] arguments) {
		if (this.expression == null) {
			return this.text;
		}
		Object value;
		try {
			value = this.expression.getValue(new MethodBasedEvaluationContext(null, this.method, arguments, parameterNames));
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException(where(this.text, this.method) + ": the key expression failed: "
					+ ex.getMessage(), ex);
		}
		if (value == null || value.toString().isBlank()) {
			throw new IllegalArgumentException(
					where(this.text, this.method) + ": the key evaluated to " + ((value == null) ? "null" : "blank"));
		}
		return value.toString();
	}

	private static void checkVariables(String text, Method method, SpelExpression expression) {
		String[] names = parameterNames.getParameterNames(method);
		Set<String> known = (names != null) ? new LinkedHashSet<>(Arrays.asList(names)) : Set.of();
		for (String variable : variables(expression.getAST(), new ArrayList<>())) {
			if (!known.contains(variable) && !BUILT_IN.matcher(variable).matches()) {
				String parameters = (names != null) ? "(" + String.join(", ", names) + ")"
						: "(names unknown: compile with -parameters, or use #p0, #p1, ...)";
				throw new InvalidEtcdLockException(where(text, method) + ": the key names #" + variable + ", but "
						+ method.getName() + " has no such parameter; its parameters are " + parameters
						+ ", also reachable by position as #p0 or #a0");
			}
		}
	}

	private static List<String> variables(SpelNode node, List<String> found) {
		if (node instanceof VariableReference) {
			found.add(node.toStringAST().substring(1));
		}
		for (int i = 0; i < node.getChildCount(); i++) {
			variables(node.getChild(i), found);
		}
		return found;
	}

	private static String where(String text, Method method) {
		return "@EtcdLock(key = \"" + text + "\") on " + method.getDeclaringClass().getName() + "." + method.getName();
	}

}
