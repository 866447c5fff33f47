package io.github.etcdgrpclb.spring.config;

import java.time.Instant;
import java.util.Map;

/**
 * Values from etcd that a {@code @ConfigurationProperties} bean refused (they did not bind or
 * validate): the bean keeps its old values. No value is shown, as values may be secrets.
 *
 * @param folder the etcd folder the change came from
 * @param bean the bean that kept its old values
 * @param properties the changed properties under the bean's prefix, each with the etcd key it comes
 * from (empty when the property was deleted)
 * @param reason why binding or validation failed
 * @param since when the change was refused
 */
public record RejectedValues(String folder, String bean, Map<String, String> properties, String reason,
		Instant since) {

}
