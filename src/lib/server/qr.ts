import QRCode from 'qrcode';

/**
 * A QR code of a link as an SVG image, drawn on the server (a data: URL for an <img>, so that no markup is
 * injected into the page and no script is needed): printed notices, door posters, check-in codes, service cards.
 */
export async function qrImage(text: string): Promise<string> {
	const svg = await QRCode.toString(text, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
	return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}
