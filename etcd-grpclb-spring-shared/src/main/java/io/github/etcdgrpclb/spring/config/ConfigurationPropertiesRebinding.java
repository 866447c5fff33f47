package io.github.etcdgrpclb.spring.config;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.aop.framework.Advised;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.BeanInstantiationException;
import org.springframework.beans.BeanUtils;
import org.springframework.boot.context.properties.ConfigurationPropertiesBean;
import org.springframework.boot.context.properties.ConfigurationPropertiesBindingPostProcessor;
import org.springframework.boot.context.properties.bind.BindMethod;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.context.ApplicationContext;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.util.ClassUtils;

/**
 * Rebinds the {@code @ConfigurationProperties} beans a change touches, in place (callers keep their
 * reference). A bean is first bound as a fresh copy, with the application's own binding and
 * validation: when that fails, the bean keeps its old values and the reason is logged once. Beans
 * bound through their constructor (records, immutable classes) cannot change in place; they are
 * named once in the log and keep their startup values.
 */
final class ConfigurationPropertiesRebinding {

	private static final Log logger = LogFactory.getLog(ConfigurationPropertiesRebinding.class);

	private final ApplicationContext context;

	private final Set<String> reported = ConcurrentHashMap.newKeySet();

	ConfigurationPropertiesRebinding(ApplicationContext context) {
		this.context = context;
	}

	/**
	 * @param changed the names of the changed properties
	 * @return the beans rebound with the new values, and those that refused them
	 */
	Outcome rebind(Set<String> changed) {
		ConfigurationPropertiesBindingPostProcessor binder = this.context
			.getBean(ConfigurationPropertiesBindingPostProcessor.class);
		Set<String> accepted = new LinkedHashSet<>();
		Map<String, Refusal> refused = new LinkedHashMap<>();
		for (Map.Entry<String, ConfigurationPropertiesBean> entry : ConfigurationPropertiesBean.getAll(this.context)
			.entrySet()) {
			ConfigurationPropertiesBean bean = entry.getValue();
			Set<String> touched = touched(bean.getAnnotation().prefix(), changed);
			if (touched.isEmpty()) {
				continue;
			}
			if (bean.asBindTarget().getBindMethod() == BindMethod.VALUE_OBJECT) {
				reportOnce(entry.getKey() + "|immutable", "@ConfigurationProperties bean '" + entry.getKey()
						+ "' is bound through its constructor and keeps its startup values; restart to apply "
						+ "changes of '" + bean.getAnnotation().prefix() + "' from etcd");
				continue;
			}
			String reason = rebind(binder, entry.getKey(), target(bean.getInstance()));
			if (reason == null) {
				accepted.add(entry.getKey());
			}
			else {
				refused.put(entry.getKey(), new Refusal(touched, reason));
			}
		}
		return new Outcome(accepted, refused);
	}

	/** @return null when the bean took the new values, else why it refused them */
	private String rebind(ConfigurationPropertiesBindingPostProcessor binder, String name, Object target) {
		try {
			Object trial = BeanUtils.instantiateClass(ClassUtils.getUserClass(target));
			binder.postProcessBeforeInitialization(trial, name);
		}
		catch (BeanInstantiationException ex) {
			// No way to try on a copy: bind in place (a failure then leaves what was bound before it).
		}
		catch (RuntimeException ex) {
			String reason = NestedExceptionUtils.getMostSpecificCause(ex).getMessage();
			reportOnce(name + "|" + reason, "@ConfigurationProperties bean '" + name
					+ "' keeps its old values: the configuration changed in etcd does not bind or validate: " + reason);
			return reason;
		}
		binder.postProcessBeforeInitialization(target, name);
		return null;
	}

	/** @return the changed properties at or under the prefix */
	private static Set<String> touched(String prefix, Set<String> changed) {
		ConfigurationPropertyName root = ConfigurationPropertyName.of(prefix);
		Set<String> touched = new LinkedHashSet<>();
		for (String name : changed) {
			ConfigurationPropertyName property = ConfigurationPropertyName.adapt(name, '.');
			if (root.isEmpty() || root.equals(property) || root.isAncestorOf(property)) {
				touched.add(name);
			}
		}
		return touched;
	}

	private static Object target(Object instance) {
		if (AopUtils.isAopProxy(instance) && instance instanceof Advised advised) {
			try {
				return advised.getTargetSource().getTarget();
			}
			catch (Exception ex) {
				throw new IllegalStateException("Cannot reach the target of " + instance.getClass(), ex);
			}
		}
		return instance;
	}

	private void reportOnce(String key, String message) {
		if (this.reported.add(key)) {
			logger.warn(message);
		}
	}

	/**
	 * What one rebinding did.
	 *
	 * @param accepted the beans rebound with the new values
	 * @param refused the beans that kept their old values, by name
	 */
	record Outcome(Set<String> accepted, Map<String, Refusal> refused) {
	}

	/**
	 * @param properties the changed properties under the bean's prefix
	 * @param reason why they did not bind or validate
	 */
	record Refusal(Set<String> properties, String reason) {
	}

}
