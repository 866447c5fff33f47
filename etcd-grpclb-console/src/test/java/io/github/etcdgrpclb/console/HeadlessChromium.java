package io.github.etcdgrpclb.console;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless chromium, driven through chromium-driver, for a test class: started before its
 * tests, quit after them, and a screenshot of a failed test kept in {@code target/screenshots}.
 */
final class HeadlessChromium implements BeforeAllCallback, AfterAllCallback, TestWatcher {

	private static final String CHROMIUM = "/usr/bin/chromium";

	private static final String CHROMEDRIVER = "/usr/bin/chromedriver";

	private ChromeDriver browser;

	ChromeDriver browser() {
		return this.browser;
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		if (!new File(CHROMIUM).canExecute() || !new File(CHROMEDRIVER).canExecute()) {
			throw new IllegalStateException("The browser tests need Debian's chromium and chromium-driver: "
					+ "apt-get install -y chromium chromium-driver (.ci/run installs them)");
		}
		ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM)
			.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
					"--window-size=1280,900");
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER))
			.usingAnyFreePort()
			.build();
		this.browser = new ChromeDriver(service, options);
	}

	@Override
	public void afterAll(ExtensionContext context) {
		if (this.browser != null) {
			this.browser.quit();
		}
	}

	@Override
	public void testFailed(ExtensionContext context, Throwable cause) {
		String name = context.getRequiredTestClass().getSimpleName() + "-" + context.getRequiredTestMethod().getName();
		if (this.browser == null) {
			return;
		}
		try {
			Path folder = Files.createDirectories(Path.of("target", "screenshots"));
			Files.copy(this.browser.getScreenshotAs(OutputType.FILE).toPath(), folder.resolve(name + ".png"),
					StandardCopyOption.REPLACE_EXISTING);
		}
		catch (IOException | RuntimeException ex) {
			System.err.println("No screenshot of " + name + ": " + ex);
		}
	}

}
