import QRCode from 'qrcode';

/**
 * A QR code of a link, rendered on the server as SVG (the kept `qrcode`
 * library), as a data URL for an <img>: printed notices and door posters
 * carry it, and no script is needed to draw it.
 */
export async function qrDataUrl(link: string): Promise<string> {
	const svg = await QRCode.toString(link, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
	return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}
